// The smallest Confide app, and a probe of the app contract: greets its arguments (or the world),
// lists the files it was given in $IEXEC_IN, and proves the dataset is readable by giving its size
// and SHA-256 (never its content) — for a bulk task, of each dataset of its slice. Writes
// $IEXEC_OUT/result.txt and declares it in computed.json.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const input = process.env.IEXEC_IN ?? '/iexec_in';
const out = process.env.IEXEC_OUT ?? '/iexec_out';
const who = process.argv.slice(2).join(' ') || 'world';
const lines = [`Hello, ${who}!`];

let files = [];
try {
  files = readdirSync(input).sort();
} catch {
  // No input folder: nothing to list.
}
lines.push(`input files: ${files.length === 0 ? '(none)' : files.join(', ')}`);

const dataset = process.env.IEXEC_DATASET_FILENAME;
if (dataset) {
  const bytes = readFileSync(path.join(input, dataset));
  lines.push(`dataset ${dataset}: ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
}

const sliceSize = Number(process.env.IEXEC_BULK_SLICE_SIZE ?? 0);
for (let i = 1; i <= sliceSize; i++) {
  const name = process.env[`IEXEC_DATASET_${i}_FILENAME`];
  const bytes = name ? readFileSync(path.join(input, name)) : undefined;
  lines.push(
    bytes
      ? `bulk dataset ${i} ${name}: ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`
      : `bulk dataset ${i}: missing`,
  );
}

const result = path.join(out, 'result.txt');
writeFileSync(result, `${lines.join('\n')}\n`);
writeFileSync(path.join(out, 'computed.json'), JSON.stringify({ 'deterministic-output-path': result }));
console.log(`wrote ${result}`);
