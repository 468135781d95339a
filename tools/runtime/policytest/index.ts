// PolicyTest: table tests for a JsPolicy, run through the local jsPolicy runtime.
export { compareCase, subsetMismatches } from './expect.ts';
export type { CaseActual } from './expect.ts';
export { checkCases, checkDocument, PolicyTestError, RESULTS } from './format.ts';
export type { CaseExpectation, CaseVerdict, PartialAdmissionRequest, PolicyTestCase, PolicyTestDocument } from './format.ts';
export { loadPolicyManifest, loadPolicyTest, readManifests } from './load.ts';
export {
  API_SERVER_URLS,
  completeRequest,
  policyProblem,
  POLICYTEST_TOKEN,
  runPolicyTestCases,
  runPolicyTestFile,
  SERVICE_ACCOUNT_TOKEN_PATH,
  testAccess,
} from './run.ts';
export type { CaseResult, RunCasesOptions } from './run.ts';
