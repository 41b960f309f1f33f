/** Security configuration assessment: Wazuh-format SCA policies evaluated on the host (or the host under a root). */
export { ScaConfig, ScaCommandsConfig } from './sca-config.ts';
export type { ScaPolicy, ScaCheck, ScaRule, CheckResult, CheckOutcome, PolicyScan } from './policy-types.ts';
export { parsePolicy } from './parse-policy.ts';
export { parseRule } from './parse-rule.ts';
export { evaluatePolicy, evaluateCheck, evaluateRules, scoreOf } from './evaluate-policy.ts';
export { diffScans, resultsOf, type CheckChange, type ScanResults } from './diff-scans.ts';
export { checkPayload, summaryPayload, scaRawEvent, type ScaPayload, type ScaCheckPayload, type ScaSummaryPayload } from './sca-payload.ts';
export type { ScaHost, HostFileSystem, CommandRunner, ProcessTable, CommandOutcome } from './host-access.ts';
export { RootFileSystem } from './root-file-system.ts';
export { ChildProcessRunner } from './command-runner.ts';
export { ProcTable } from './process-table.ts';
export { BUILTIN_SCA_DIR, loadPolicyFiles, listPolicyFiles } from './policy-files.ts';
export { startScaScanner, hostFromConfig, type ScaScanner, type ScaScannerOptions, type PolicyScanReport } from './sca-scanner.ts';
export { scaSourceFactory, scaDraft } from './sca-source.ts';
