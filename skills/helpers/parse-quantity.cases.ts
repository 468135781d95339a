import { falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('millicores', 'parseQuantity("500m") === 0.5', 'true'),
  truthy('cores', 'parseQuantity("2") === 2', 'true'),
  truthy('binary suffix', 'parseQuantity("1Gi") === 1073741824', 'true'),
  truthy('decimal suffix', 'parseQuantity("128M") === 128000000', 'true'),
  truthy('exponent', 'parseQuantity("1e3") === 1000', 'true'),
  truthy('fraction', 'parseQuantity("1.5Gi") === 1610612736', 'true'),
  truthy('number passes through', 'parseQuantity(3) === 3', 'true'),
  truthy('garbage is NaN', 'isNaN(parseQuantity("lots"))', 'true'),
  falsy('unknown suffix is NaN, not 0', 'parseQuantity("1GB") >= 0'),
];
export const keywords = ['quantity', 'cpu', 'memory', 'millicores', 'bytes', 'Gi', 'Mi', 'size', 'parse', 'resource'];
