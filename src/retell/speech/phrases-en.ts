import type { Phrases } from './phrases.js';
import { speakList } from './speak-list.js';

const LABELS: Readonly<Record<string, string>> = {
  service: 'the service',
  date: 'the date',
  end_date: 'the last day',
  time: 'the time',
  name: 'your name',
  phone: 'your phone number',
  email: 'your email address',
  appointment_id: 'which appointment',
  reason: 'the reason',
};

const list = (items: readonly string[], joiner: 'and' | 'or'): string => speakList(items, 'en', joiner);

const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** English sentences. @internal */
export const englishPhrases: Phrases = {
  fieldLabel: (field) => LABELS[field] ?? `the ${field.replace(/[_-]+/g, ' ')}`,
  unknownTenant: () =>
    "I'm sorry, I can't reach the appointment calendar for this line right now. Please call again later.",
  unknownFunction: () => "I'm sorry, I can't do that here.",
  missing: (labels) => `I still need ${list(labels, 'and')}.`,
  invalid: (labels) => `I didn't quite get ${list(labels, 'and')}. Could you say that again?`,
  stillWorking: () => "I'm still working on that. Please ask me again in a moment.",
  failed: () => 'Sorry, something went wrong on my side. Please try again in a moment.',
  calendarUnavailable: () => "I can't reach the calendar right now. Please try again in a few minutes.",
  unknownService: (asked, offered) =>
    offered.length === 0
      ? `I'm sorry, we don't offer ${asked}.`
      : `I'm sorry, we don't offer ${asked}. We offer ${list(offered, 'or')}.`,
  noServices: () => "I'm sorry, there is nothing to book at the moment.",
  services: (names) => `We offer ${list(names, 'and')}.`,
  slotFree: (when) => `${capital(when)} is free.`,
  slotTaken: (when, alternatives) =>
    alternatives.length === 0
      ? `${capital(when)} is already taken, and I found no other free time nearby.`
      : `${capital(when)} is already taken. I can offer ${list(alternatives, 'or')}.`,
  freeTimes: (day, times, more) =>
    more > 0
      ? `On ${day} I have ${list([...times, `${more} more times`], 'and')} free.`
      : `On ${day} I have ${list(times, 'and')} free.`,
  freeDays: (days, moreDays) => {
    const spoken = days.map(({ day, times }) => `${day}: ${list(times, 'or')}`).join('; ');
    const tail = moreDays > 0 ? ` There are free times on ${moreDays} more days.` : '';
    return `I have free times on ${spoken}.${tail}`;
  },
  onDay: (day) => `on ${day}`,
  betweenDays: (first, last) => `between ${first} and ${last}`,
  nothingFree: (range, alternatives) =>
    alternatives.length === 0
      ? `I'm sorry, nothing is free ${range}.`
      : `I'm sorry, nothing is free ${range}. The next free times are ${list(alternatives, 'or')}.`,
  inPast: (when) => `${capital(when)} has already passed. Which other time would suit you?`,
  notBookable: (when) => `I'm sorry, ${when} can't be booked. Which other time would suit you?`,
  booked: (service, when, queued) =>
    queued
      ? `I've booked your ${service} for ${when}. The confirmation will follow shortly.`
      : `I've booked your ${service} for ${when}.`,
  rescheduled: (when, queued) =>
    queued
      ? `I've moved your appointment to ${when}. The confirmation will follow shortly.`
      : `I've moved your appointment to ${when}.`,
  cancelled: (when) => `I've cancelled your appointment on ${when}.`,
  appointmentNotFound: () => "I can't find that appointment. Shall I look up your appointments?",
  notYourAppointment: () =>
    'I can only change appointments that were booked with the number you are calling from.',
  alreadyCancelled: (when) => `Your appointment on ${when} is already cancelled.`,
  cannotChange: (when) => `Your appointment on ${when} can no longer be changed.`,
  noCallerNumber: () => "I can't see the number you are calling from, so I can't look up your appointments.",
  noAppointments: () => "I can't find any upcoming appointments for your number.",
  appointments: (entries) =>
    entries.length === 1
      ? `You have one upcoming appointment: ${entries[0]!}.`
      : `You have ${entries.length} upcoming appointments: ${list(entries, 'and')}.`,
  appointmentEntry: (service, when) => `${service} on ${when}`,
};
