/** One part of a document offered to the model: its number in the list and what it is called. */
export interface SectionOption {
  readonly number: number;
  /** The heading, or the opening words of a paragraph. */
  readonly label: string;
}

export interface SectionChoice {
  /** The numbers the model picked, best first; empty when it picked none. */
  readonly picked: readonly number[];
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** Asks a chat model which parts of a document are likely to answer a question. */
export interface SectionChooser {
  /**
   * The parts picked, or null when the model's answer could not be read (the caller then scores
   * lexically). Throws when the model server cannot be reached.
   */
  choose(question: string, options: readonly SectionOption[], maxTokens: number, signal?: AbortSignal): Promise<SectionChoice | null>;
}
