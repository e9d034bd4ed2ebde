// Copies what tsc does not emit (SQL migrations) next to the compiled code.
import { cpSync } from 'node:fs';

cpSync('src/shared/store/migrations', 'dist/shared/store/migrations', { recursive: true });
