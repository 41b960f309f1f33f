// Writes config.example.yaml from the configuration schema.
import { writeFileSync } from 'node:fs';
import { configExample } from '../services/cli/src/config-example.ts';

writeFileSync(new URL('../config.example.yaml', import.meta.url), configExample());
process.stdout.write('wrote config.example.yaml\n');
