import { falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('millicores', 'parseQuantity("500m") === 0.5', 'true'),
  truthy('700m is 0.7 exactly (not 0.7000000000000001)', 'parseQuantity("700m") === 0.7', 'true'),
  truthy('1m', 'parseQuantity("1m") === 0.001', 'true'),
  truthy('cores', 'parseQuantity("2") === 2', 'true'),
  truthy('binary suffix', 'parseQuantity("1Gi") === 1073741824', 'true'),
  truthy('decimal suffix', 'parseQuantity("128M") === 128000000', 'true'),
  truthy('exponent', 'parseQuantity("1e3") === 1000', 'true'),
  truthy('negative exponent', 'parseQuantity("5E-2") === 0.05', 'true'),
  truthy('fraction', 'parseQuantity("1.5Gi") === 1610612736', 'true'),
  truthy('nano', 'parseQuantity("1n") === 1e-9', 'true'),
  truthy('every millicore value from 1m to 4000m is its decimal', '(function () { for (var i = 1; i <= 4000; i += 7) { if (parseQuantity(i + "m") !== i / 1000) return "differs at " + i; } return true; })()', 'true'),
  truthy('number passes through', 'parseQuantity(3) === 3', 'true'),
  truthy('garbage is NaN', 'isNaN(parseQuantity("lots"))', 'true'),
  falsy('unknown suffix is NaN, not 0', 'parseQuantity("1GB") >= 0'),
];
export const keywords = ['quantity', 'cpu', 'memory', 'millicores', 'bytes', 'Gi', 'Mi', 'size', 'parse', 'resource'];
