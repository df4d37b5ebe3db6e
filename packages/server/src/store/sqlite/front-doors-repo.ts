/** @module store/sqlite/front-doors-repo — each office's front doors on SQLite (store/statements/front-doors.ts). */
import { FRONT_DOORS } from '../statements/front-doors.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('frontDoors', (db) => db.bind(FRONT_DOORS));
