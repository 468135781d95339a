import { admit, deployment, truthy } from '../fixtures.ts';

const obj = admit(deployment({ containers: [] }, { labels: { team: 'a', owner: '' } }));
export const cases = [
  truthy('two missing (one empty)', 'missingLabels(request.object, ["team", "owner", "cost-center"]).join(",")', '"owner,cost-center"', obj),
  truthy('none missing', 'missingLabels(request.object, ["team"]).length === 0', 'true', obj),
  truthy('no labels: all missing', 'missingLabels(null, ["a", "b"]).join(",")', '"a,b"'),
];
export const keywords = ['require', 'required', 'label', 'mandatory'];
