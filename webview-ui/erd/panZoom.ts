/** Drag to pan, wheel/buttons to zoom (around the cursor), fit to the viewport. Moves one transformed stage element. */

export interface PanZoomState { zoom: number; panX: number; panY: number }

const MIN_ZOOM = 0.05;
const MAX_ZOOM = 4;

export function clampZoom(z: number): number { return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z)); }

/** New pan so that the point under (cx, cy) stays put while zooming from `s.zoom` to `zoom`. */
export function zoomAround(s: PanZoomState, zoom: number, cx: number, cy: number): PanZoomState {
  const z = clampZoom(zoom);
  const k = z / s.zoom;
  return { zoom: z, panX: cx - (cx - s.panX) * k, panY: cy - (cy - s.panY) * k };
}

/** Zoom and pan that fit a content box of (w, h) into a viewport of (vw, vh) with a margin, never above 1:1. */
export function fitState(w: number, h: number, vw: number, vh: number, margin = 16): PanZoomState {
  if (w <= 0 || h <= 0 || vw <= 0 || vh <= 0) return { zoom: 1, panX: 0, panY: 0 };
  const zoom = clampZoom(Math.min(1, (vw - 2 * margin) / w, (vh - 2 * margin) / h));
  return { zoom, panX: (vw - w * zoom) / 2, panY: (vh - h * zoom) / 2 };
}

export class PanZoom {
  state: PanZoomState = { zoom: 1, panX: 0, panY: 0 };
  private drag: { x: number; y: number; panX: number; panY: number; moved: boolean } | undefined;
  /** true right after a drag, so the click that ends it does not open a table. */
  justDragged = false;

  constructor(private readonly viewport: HTMLElement, private readonly stage: HTMLElement, private readonly onChange: () => void) {
    viewport.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      this.drag = { x: ev.clientX, y: ev.clientY, panX: this.state.panX, panY: this.state.panY, moved: false };
      this.justDragged = false;
    });
    viewport.addEventListener('pointermove', (ev) => {
      const d = this.drag;
      if (!d) return;
      const dx = ev.clientX - d.x;
      const dy = ev.clientY - d.y;
      if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!d.moved) { d.moved = true; viewport.setPointerCapture(ev.pointerId); viewport.classList.add('panning'); }
      this.set({ ...this.state, panX: d.panX + dx, panY: d.panY + dy });
    });
    const end = (ev: PointerEvent) => {
      if (this.drag?.moved) { this.justDragged = true; viewport.releasePointerCapture?.(ev.pointerId); }
      this.drag = undefined;
      viewport.classList.remove('panning');
    };
    viewport.addEventListener('pointerup', end);
    viewport.addEventListener('pointercancel', end);
    viewport.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const r = viewport.getBoundingClientRect();
      if (ev.ctrlKey || ev.metaKey || !ev.shiftKey) {
        const factor = Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015));
        this.set(zoomAround(this.state, this.state.zoom * factor, ev.clientX - r.left, ev.clientY - r.top));
      } else {
        this.set({ ...this.state, panX: this.state.panX - ev.deltaY });
      }
    }, { passive: false });
  }

  set(s: PanZoomState): void {
    this.state = s;
    this.stage.style.transform = `translate(${s.panX}px, ${s.panY}px) scale(${s.zoom})`;
    this.onChange();
  }

  zoomBy(factor: number): void {
    this.set(zoomAround(this.state, this.state.zoom * factor, this.viewport.clientWidth / 2, this.viewport.clientHeight / 2));
  }

  fit(w: number, h: number): void {
    this.set(fitState(w, h, this.viewport.clientWidth, this.viewport.clientHeight));
  }

  /** Pans so that content point (x, y) sits in the middle of the viewport. */
  center(x: number, y: number, zoom = this.state.zoom): void {
    const z = clampZoom(zoom);
    this.set({ zoom: z, panX: this.viewport.clientWidth / 2 - x * z, panY: this.viewport.clientHeight / 2 - y * z });
  }
}
