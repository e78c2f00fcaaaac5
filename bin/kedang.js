#!/usr/bin/env node
// The `kedang` command. TypeScript sources run through tsx, so there is no separate build
// step for the server; `npm start` builds only the web app.
import { register } from 'tsx/esm/api';

register();
await import('../src/server/main.ts');
