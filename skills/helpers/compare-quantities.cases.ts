import { truthy } from '../fixtures.ts';

/** Every value i m in [from, to] compares equal to its decimal text ("0.7" for 700m); false when all do. */
const sweep = (from: number, to: number) =>
  truthy(
    `${from}m to ${to}m each equal their decimal text`,
    `(function () { for (var i = ${from}; i <= ${to}; i++) { var d = Math.floor(i / 1000) + "." + String(1000 + (i % 1000)).slice(1); if (compareQuantities(i + "m", d) !== 0) return "differs at " + i + "m"; } return "all equal"; })()`,
    '"all equal"',
  );
export const cases = [
  truthy('less', 'compareQuantities("500m", "1") === -1', 'true'),
  truthy('equal across units', 'compareQuantities("1024Mi", "1Gi") === 0', 'true'),
  truthy('greater', 'compareQuantities("2Gi", "2G") === 1', 'true'),
  truthy('700m equals 0.7', 'compareQuantities("700m", "0.7") === 0', 'true'),
  truthy('700m equals the number 0.7', 'compareQuantities("700m", 0.7) === 0', 'true'),
  truthy('701m is above 0.7', 'compareQuantities("701m", "0.7") === 1', 'true'),
  truthy('1.5Gi equals 1536Mi', 'compareQuantities("1.5Gi", "1536Mi") === 0', 'true'),
  truthy('1e3 equals 1k', 'compareQuantities("1e3", "1k") === 0', 'true'),
  truthy('1n is above 0', 'compareQuantities("1n", "0") === 1', 'true'),
  truthy('negative below positive', 'compareQuantities("-1", "1m") === -1', 'true'),
  truthy('large binary values exactly: 7Ei below 8Ei', 'compareQuantities("7Ei", "8Ei") === -1', 'true'),
  sweep(1, 1000),
  sweep(1001, 2000),
  sweep(2001, 3000),
  sweep(3001, 4000),
  truthy('invalid', 'isNaN(compareQuantities("x", "1"))', 'true'),
  truthy('invalid second', 'isNaN(compareQuantities("1", "1GB"))', 'true'),
];
export const keywords = ['quantity', 'compare', 'greater', 'less', 'more', 'exceed', 'maximum', 'minimum', 'cpu', 'memory'];
