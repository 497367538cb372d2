// The part of uPlot's interface (uPlot.esm.js beside this file) the pages use, for the type check
// of the pages (tsconfig.json); written for this project, not part of the uPlot distribution.

declare class uPlot {
  constructor(options: object, data: unknown[], target?: HTMLElement);
  readonly root: HTMLElement;
  readonly width: number;
  readonly height: number;
  readonly data: unknown[];
  setData(data: unknown[], resetScales?: boolean): void;
  setSize(size: { width: number; height: number }): void;
  redraw(rebuildPaths?: boolean, recalcAxes?: boolean): void;
  destroy(): void;
  static paths: {
    stepped(options: { align?: -1 | 1; ascDesc?: boolean }): unknown;
    linear(): unknown;
    spline(): unknown;
    bars(options?: object): unknown;
  };
}

export default uPlot;
