/** The VS Code webview API, acquired once and kept private to this module (never put on window). */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function postToHost<T>(message: T): void { api.postMessage(message); }
export function loadState<T>(): T | undefined { return (api.getState() as T | undefined) ?? undefined; }
export function saveState<T>(state: T): void { api.setState(state); }
