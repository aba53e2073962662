import type { BudgetName, NavigationBudget } from '@rag/core';

/** Counts what a walk spends against its budget; the first limit reached is remembered. */
export class BudgetMeter {
  private readonly started = performance.now();
  modelCalls = 0;
  tokens = 0;
  private exhausted: BudgetName | null = null;

  constructor(readonly budget: NavigationBudget) {}

  /** Whether the model may be asked once more; false when the walk is to go on lexically from the start. */
  get modelEnabled(): boolean {
    return this.budget.maxModelCalls > 0 && this.budget.maxTokens > 0;
  }

  spend(promptTokens: number, completionTokens: number): void {
    this.modelCalls++;
    this.tokens += promptTokens + completionTokens;
  }

  /** The budget that has run out, if any; checked before each step of the walk. */
  check(usesModel: boolean): BudgetName | null {
    if (this.exhausted) return this.exhausted;
    if (this.elapsedMs() >= this.budget.maxMs) this.exhausted = 'maxMs';
    else if (usesModel && this.modelCalls >= this.budget.maxModelCalls) this.exhausted = 'maxModelCalls';
    else if (usesModel && this.tokens >= this.budget.maxTokens) this.exhausted = 'maxTokens';
    return this.exhausted;
  }

  get stoppedBy(): BudgetName | null {
    return this.exhausted;
  }

  /** Milliseconds left, for the model call's own timeout. */
  remainingMs(): number {
    return Math.max(0, this.budget.maxMs - this.elapsedMs());
  }

  elapsedMs(): number {
    return Math.round((performance.now() - this.started) * 100) / 100;
  }
}
