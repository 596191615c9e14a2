/**
 * The demo's secrets: used only with the demo tenants file (no TENANTS_FILE), for the variables
 * it names that are not set. Never use them outside a demo.
 */
export const DEMO_ENV: Readonly<Record<string, string>> = {
  PRAXIS_API_KEY: 'bk_demo_praxis_key',
  CLINIC_API_KEY: 'bk_demo_clinic_key',
  DEMO_RETELL_API_KEY: 'key_demo_retell_workspace',
};

/** Opening hours on weekdays, in the tenant's time zone. */
const weekdays = (start: string, end: string) => {
  const hours = [{ start, end }];
  return { monday: hours, tuesday: hours, wednesday: hours, thursday: hours, friday: hours };
};

/** The services each tenant offers in the embedded Cal.com simulator: 30 and 60 minutes, 09:00-17:00 on weekdays. */
export function demoServices(locale: 'de' | 'en') {
  const hours = weekdays('09:00', '17:00');
  return locale === 'de'
    ? [
        { slug: 'beratung', title: 'Beratung', lengthInMinutes: 30, weeklyHours: hours },
        { slug: 'behandlung', title: 'Behandlung', lengthInMinutes: 60, weeklyHours: hours },
      ]
    : [
        { slug: 'consultation', title: 'Consultation', lengthInMinutes: 30, weeklyHours: hours },
        { slug: 'treatment', title: 'Treatment', lengthInMinutes: 60, weeklyHours: hours },
      ];
}
