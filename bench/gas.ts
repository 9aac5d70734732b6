// Prints the gas of one TEE task (matchOrders + initialize + contributeAndFinalize) and of each
// protocol call, measured on a fresh in-process chain. Run: npm run bench:gas
import { measureGas } from '../contracts/test/helpers/gas.js';

const { gas, bytecodeSize } = await measureGas();
const total = gas.teeTaskTotal ?? 0;
console.log('Confide gas, one TEE task with a dataset');
for (const step of ['matchOrders', 'initialize', 'contributeAndFinalize'] as const) {
  const value = gas[step] ?? 0;
  console.log(`  ${step.padEnd(24)} ${String(value).padStart(9)}  ${((100 * value) / total).toFixed(1).padStart(5)} %`);
}
console.log(`  ${'total'.padEnd(24)} ${String(total).padStart(9)}`);
console.log(`  without dataset          ${String(gas.teeTaskTotalNoDataset).padStart(9)}`);
console.log('Other calls');
for (const [name, value] of Object.entries(gas)) {
  if (!['matchOrders', 'initialize', 'contributeAndFinalize', 'teeTaskTotal', 'teeTaskTotalNoDataset'].includes(name)) {
    console.log(`  ${name.padEnd(24)} ${String(value).padStart(9)}`);
  }
}
console.log('Deployed bytecode (EIP-170 limit 24,576 B)');
for (const [name, size] of Object.entries(bytecodeSize))
  console.log(`  ${name.padEnd(24)} ${String(size).padStart(9)} B`);
console.log('\nBaseline: PoCo v6 is not yet measured in the same run (see docs/architecture.md, "Gas").');
process.exit(0);
