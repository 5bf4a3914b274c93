import { adminBench } from './admin.bench.ts';
import { analyticsBench } from './analytics.bench.ts';
import { availabilityBench } from './availability.bench.ts';
import { boardBench } from './board.bench.ts';
import { bookingBench } from './booking.bench.ts';
import { foundationBench } from './foundation.bench.ts';
import { runtimesBench } from './runtimes.bench.ts';
import { tenantsBench } from './tenants.bench.ts';
import { webhookBench } from './webhook.bench.ts';

/** `npm run bench`: every suite in turn; figures on stdout, one per line. */
const only = process.argv[2];
const suites: [string, () => Promise<void>][] = [
  ['foundation', foundationBench],
  ['availability', availabilityBench],
  ['booking', bookingBench],
  ['webhook', webhookBench],
  ['admin', adminBench],
  ['analytics', analyticsBench],
  ['board', boardBench],
  ['runtimes', runtimesBench],
  ['tenants', tenantsBench],
].filter(([name]) => !only || name === only) as [string, () => Promise<void>][];

for (const [name, run] of suites) {
  process.stdout.write(`\n## ${name}\n`);
  await run();
}
