// The smallest Confide app: greets its arguments (or the world) in $IEXEC_OUT/result.txt and
// declares that file as its deterministic output in computed.json, as every app must.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const out = process.env.IEXEC_OUT ?? '/iexec_out';
const who = process.argv.slice(2).join(' ') || 'world';
const result = path.join(out, 'result.txt');
writeFileSync(result, `Hello, ${who}!\n`);
writeFileSync(path.join(out, 'computed.json'), JSON.stringify({ 'deterministic-output-path': result }));
console.log(`wrote ${result}`);
