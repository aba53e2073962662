export * from './bank-card.validator';
export * from './deep.redactor';
export * from './json-text.redactor';
export * from './mobile.validator';
export { findPersonalData } from './personal-data.finder';
export * from './personal-data.redactor';
export type { PersonalDataKind, PersonalDataMatch, PiiPolicy } from './personal-data.types';
export * from './pino.redaction';
export * from './resident-id.validator';
