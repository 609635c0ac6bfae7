import { writeFileSync } from 'node:fs';
import { startTestApp } from './test/helpers/app.js';
const t = await startTestApp({ workers: false });
const res = await t.request({ method: 'GET', url: '/openapi.json', as: null });
writeFileSync(process.argv[2]!, res.body);
await t.close();
