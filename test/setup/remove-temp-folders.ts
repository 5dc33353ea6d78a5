/**
 * Vitest setup file, run in every test file: removes the file's temporary folders (test/temp-folder.ts)
 * after its last test. Registered first, this hook runs after the file's own afterAll hooks, once
 * its servers and databases are closed.
 */
import { afterAll } from 'vitest';
import { removeTempFolders } from '../temp-folder.js';

afterAll(removeTempFolders);
