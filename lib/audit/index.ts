export { audit } from './audit.js';
export { normaliseSetting, settingLabel } from './settings.js';
export type {
  AuditOptions,
  AuditPathwiseMode,
  AuditProgress,
  AuditRecommendation,
  AuditReference,
  AuditReferenceOptions,
  AuditResult,
  AuditRow,
  AuditSetting,
  AuditSettingInput,
  AuditSkipped,
  AuditStructure,
} from './types.js';
