/**
 * The customers room's reads of other capabilities' items (its own records are the stores
 * room's: functions/stores/repository): which customers are linked to a store.
 */
export { linkedToStore } from './links';
