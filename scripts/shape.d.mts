// Types of shape.mjs, for the test that imports it.
export interface FileSize { path: string; lines: number }
export interface FacadeSize { path: string; className: string; lines: number; maxLines: number; publicMembers: number }
export interface ExportCount { name: string; source: string; values: number; types: number; total: number }
export declare const RULES: {
  readonly maxFileLines: number;
  readonly exempt: readonly string[];
  readonly facades: Readonly<Record<string, { className: string; maxLines: number }>>;
  readonly maxExports: Readonly<Record<string, number>>;
};
export declare function sourceFiles(root?: string): FileSize[];
export declare function packageEntries(root?: string): { name: string; source: string }[];
export declare function exportCounts(root?: string): ExportCount[];
export declare function facadeSizes(root?: string): FacadeSize[];
export declare function problems(shape: { files: FileSize[]; facades: FacadeSize[]; exports: ExportCount[] }): string[];
export declare function measure(root?: string): { files: FileSize[]; facades: FacadeSize[]; exports: ExportCount[]; problems: string[] };
