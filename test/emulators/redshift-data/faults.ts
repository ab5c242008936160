/**
 * Injectable faults. A rule matches calls to `operation` ('*' = any); it lets `skip` matching calls through, then
 * fires on the next `times` ones. `error: 'ConnectionReset'` destroys the socket without answering;
 * `error: 'RepeatNextToken'` answers normally but with the NextToken the request carried (a service going round).
 */
export interface FaultRule {
  operation: string;
  error: string;
  skip?: number;
  times?: number;
  message?: string;
  status?: number;
}

interface ArmedRule extends FaultRule {
  seen: number;
  fired: number;
}

export class FaultInjector {
  private rules: ArmedRule[] = [];
  readonly calls = new Map<string, number>();

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, seen: 0, fired: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Counts the call and returns the rule that fires for it, if any. */
  next(operation: string): FaultRule | undefined {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    for (const r of this.rules) {
      if (r.operation !== '*' && r.operation !== operation) continue;
      r.seen++;
      if (r.seen > (r.skip ?? 0) && r.fired < (r.times ?? 1)) {
        r.fired++;
        return r;
      }
    }
    return undefined;
  }

  callCount(operation: string): number {
    return this.calls.get(operation) ?? 0;
  }
}
