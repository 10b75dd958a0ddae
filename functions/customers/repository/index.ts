/**
 * The customers room's storage: its reads of other capabilities' items (which customers are
 * linked to a store; its own records are the stores room's: functions/stores/repository), and
 * the notes and tags stores keep about a customer (keys: ./keys.ts).
 */
export { linkedToStore } from './links';
export { deleteNote, getNote, listNotes, putNote } from './notes';
export { setTags, storeLinkAndTags } from './tags';
export { eraseNotesAndTags } from './erase';
export { newNoteId } from './keys';
