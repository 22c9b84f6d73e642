export {
  analyzeAppFolder,
  createCallAnalyzer,
  readPathAliases,
  type ApiCall,
  type CallAnalysis,
  type CallAnalyzer,
  type ClientOrigin,
  type PathAlias,
  type UnresolvedCall,
  type UnresolvedReason,
} from './callAnalysis';
export type { ExpandItem } from './fileSummary';
export {
  DEFAULT_SCAN_LIMITS,
  isUiSourceFile,
  readSourceFiles,
  type AnalysisNote,
  type NoteKind,
  type ScanLimits,
  type SourceFile,
} from './sourceFiles';
