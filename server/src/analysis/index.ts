export {
  analyzeAppFolder,
  analyzeAppFolderSync,
  createCallAnalyzer,
  type AppFolderOptions,
  type CallAnalyzerOptions,
  type ApiCall,
  type CallAnalysis,
  type CallAnalyzer,
  type ClientOrigin,
  type UnresolvedCall,
  type UnresolvedReason,
} from './callAnalysis';
export type { ExpandItem } from './fileSummary';
export { readPathAliases, readPathAliasesSync, type PathAlias } from './pathAliases';
export {
  DEFAULT_SCAN_LIMITS,
  DEFAULT_UI_FOLDERS,
  isUiSourceFile,
  isUiSourceFileIn,
  readSourceFiles,
  readSourceFilesSync,
  type AnalysisNote,
  type NoteKind,
  type ScanLimits,
  type SourceFile,
} from './sourceFiles';
