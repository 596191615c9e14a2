import type { Phrases } from './phrases.js';
import { speakList } from './speak-list.js';

const LABELS: Readonly<Record<string, string>> = {
  service: 'die gewünschte Leistung',
  date: 'das Datum',
  end_date: 'den letzten Tag',
  time: 'die Uhrzeit',
  name: 'Ihren Namen',
  phone: 'Ihre Telefonnummer',
  email: 'Ihre E-Mail-Adresse',
  appointment_id: 'welchen Termin Sie meinen',
  reason: 'den Grund',
};

const list = (items: readonly string[], joiner: 'and' | 'or'): string => speakList(items, 'de', joiner);

/** German sentences (formal address). @internal */
export const germanPhrases: Phrases = {
  fieldLabel: (field) => LABELS[field] ?? field.replace(/[_-]+/g, ' '),
  unknownTenant: () =>
    'Es tut mir leid, ich kann den Terminkalender für diese Nummer gerade nicht erreichen. Bitte rufen Sie später noch einmal an.',
  unknownFunction: () => 'Das kann ich hier leider nicht erledigen.',
  missing: (labels) => `Mir ${labels.length > 1 ? 'fehlen' : 'fehlt'} noch ${list(labels, 'and')}.`,
  invalid: (labels) =>
    `Ich habe ${list(labels, 'and')} nicht ganz verstanden. Können Sie das bitte noch einmal sagen?`,
  stillWorking: () => 'Ich bin noch dabei. Fragen Sie mich bitte gleich noch einmal.',
  failed: () =>
    'Entschuldigung, da ist bei mir etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.',
  calendarUnavailable: () =>
    'Ich erreiche den Kalender gerade nicht. Bitte versuchen Sie es in ein paar Minuten noch einmal.',
  unknownService: (asked, offered) =>
    offered.length === 0
      ? `Es tut mir leid, ${asked} bieten wir nicht an.`
      : `Es tut mir leid, ${asked} bieten wir nicht an. Wir bieten ${list(offered, 'or')} an.`,
  noServices: () => 'Es tut mir leid, im Moment kann nichts gebucht werden.',
  services: (names) => `Wir bieten ${list(names, 'and')} an.`,
  slotFree: (when) => `${when} ist frei.`,
  slotTaken: (when, alternatives) =>
    alternatives.length === 0
      ? `${when} ist leider schon vergeben, und ich habe in der Nähe keinen anderen freien Termin gefunden.`
      : `${when} ist leider schon vergeben. Ich kann Ihnen ${list(alternatives, 'or')} anbieten.`,
  freeTimes: (day, times, more) =>
    more > 0
      ? `Am ${day} habe ich ${list([...times, `${more} weitere Zeiten`], 'and')} frei.`
      : `Am ${day} habe ich ${list(times, 'and')} frei.`,
  freeDays: (days, moreDays) => {
    const spoken = days.map(({ day, times }) => `${day}: ${list(times, 'or')}`).join('; ');
    const tail = moreDays > 0 ? ` An ${moreDays} weiteren Tagen ist auch noch etwas frei.` : '';
    return `Freie Termine habe ich am ${spoken}.${tail}`;
  },
  onDay: (day) => `am ${day}`,
  betweenDays: (first, last) => `zwischen ${first} und ${last}`,
  nothingFree: (range, alternatives) =>
    alternatives.length === 0
      ? `Es tut mir leid, ${range} ist nichts frei.`
      : `Es tut mir leid, ${range} ist nichts frei. Die nächsten freien Termine sind ${list(alternatives, 'or')}.`,
  inPast: (when) => `${when} liegt schon in der Vergangenheit. Welche andere Zeit passt Ihnen?`,
  notBookable: (when) =>
    `Es tut mir leid, ${when} kann nicht gebucht werden. Welche andere Zeit passt Ihnen?`,
  booked: (service, when, queued) =>
    queued
      ? `Ich habe Ihren Termin für ${service} am ${when} gebucht. Die Bestätigung folgt in Kürze.`
      : `Ich habe Ihren Termin für ${service} am ${when} gebucht.`,
  rescheduled: (when, queued) =>
    queued
      ? `Ich habe Ihren Termin auf ${when} verschoben. Die Bestätigung folgt in Kürze.`
      : `Ich habe Ihren Termin auf ${when} verschoben.`,
  cancelled: (when) => `Ich habe Ihren Termin am ${when} abgesagt.`,
  appointmentNotFound: () =>
    'Diesen Termin finde ich nicht. Soll ich nachsehen, welche Termine Sie bei uns haben?',
  notYourAppointment: () =>
    'Ich kann nur Termine ändern, die mit der Nummer gebucht wurden, von der Sie anrufen.',
  alreadyCancelled: (when) => `Ihr Termin am ${when} ist bereits abgesagt.`,
  cannotChange: (when) => `Ihr Termin am ${when} kann nicht mehr geändert werden.`,
  noCallerNumber: () => 'Ich sehe Ihre Rufnummer nicht und kann deshalb Ihre Termine nicht nachschlagen.',
  noAppointments: () => 'Ich finde für Ihre Nummer keine anstehenden Termine.',
  appointments: (entries) =>
    entries.length === 1
      ? `Sie haben einen anstehenden Termin: ${entries[0]!}.`
      : `Sie haben ${entries.length} anstehende Termine: ${list(entries, 'and')}.`,
  appointmentEntry: (service, when) => `${service} am ${when}`,
};
