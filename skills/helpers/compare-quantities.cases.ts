import { truthy } from '../fixtures.ts';

export const cases = [
  truthy('less', 'compareQuantities("500m", "1") === -1', 'true'),
  truthy('equal across units', 'compareQuantities("1024Mi", "1Gi") === 0', 'true'),
  truthy('greater', 'compareQuantities("2Gi", "2G") === 1', 'true'),
  truthy('invalid', 'isNaN(compareQuantities("x", "1"))', 'true'),
];
export const keywords = ['quantity', 'compare', 'greater', 'less', 'more', 'exceed', 'maximum', 'minimum', 'cpu', 'memory'];
