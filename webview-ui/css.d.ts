// esbuild bundles imported CSS into media/webview/<name>.css.
declare module '*.css';
