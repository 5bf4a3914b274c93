import { foundationBench } from './foundation.bench.ts';

/** `npm run bench`: every suite in turn; figures on stdout, one per line. */
const suites: [string, () => Promise<void>][] = [['foundation', foundationBench]];

for (const [name, run] of suites) {
  process.stdout.write(`\n## ${name}\n`);
  await run();
}
