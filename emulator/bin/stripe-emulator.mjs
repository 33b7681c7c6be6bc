#!/usr/bin/env node
// The `stripe-emulator` command. The package ships TypeScript sources; tsx loads them.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
