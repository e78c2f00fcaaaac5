import { uuidv7 } from 'uuidv7';

/** Time-ordered ids keep B-tree inserts local and sort by creation. */
export const newId = (): string => uuidv7();
