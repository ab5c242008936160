import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** Bundle name: loads media/webview/<name>.js. */
  name: string;
  title: string;
  /** Only the ERD needs it: Mermaid injects <style> elements while rendering. */
  allowInlineStyles?: boolean;
}

/** Webview options shared by every Quarry panel: scripts on, resources only from media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

/** Applies the shared options to a panel created elsewhere (e.g. one revived by a serializer). */
export function configureWebview(webview: vscode.Webview, extensionUri: vscode.Uri): void {
  webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

export function createNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string, allowInlineStyles = false): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}${allowInlineStyles ? " 'unsafe-inline'" : ''}`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page of a webview: CSP first, codicons, the bundle's CSS (if any) and its ES module script under a fresh nonce. */
export function buildWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, options: WebviewHtmlOptions): string {
  const nonce = createNonce();
  const media = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...parts)).toString();
  const csp = contentSecurityPolicy(webview.cspSource, nonce, options.allowInlineStyles);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeAttribute(options.title)}</title>
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${media('webview', 'codicons', 'codicon.css')}" nonce="${nonce}">
<link rel="stylesheet" href="${media('webview', `${options.name}.css`)}">
</head>
<body>
<div id="app"></div>
<script type="module" nonce="${nonce}" src="${media('webview', `${options.name}.js`)}"></script>
</body>
</html>`;
}
