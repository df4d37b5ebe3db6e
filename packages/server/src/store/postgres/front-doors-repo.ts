/** @module store/postgres/front-doors-repo — each office's front doors on PostgreSQL (store/statements/front-doors.ts). */
import { FRONT_DOORS } from '../statements/front-doors.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('frontDoors', (db) => db.bind(FRONT_DOORS));
