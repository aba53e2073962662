import type { DocumentTree, TreeNode } from './document.tree';
import { isLeaf } from './document.tree';

const K1 = 1.2;
const B = 0.75;
/** How much a heading that names the question's terms adds to a section, against its best paragraph. */
const HEADING_WEIGHT = 1;
/** A section's second-best paragraph counts too: questions that need several paragraphs favour it. */
const SECOND_LEAF_WEIGHT = 0.5;
/** A leaf inherits a little of the best heading above it: an article under 借款合同 is about loans. */
const PATH_WEIGHT = 0.3;

/** What the lexical scorer found for one node, to rank it and to say why. */
export interface NodeEvidence {
  readonly score: number;
  /** Question terms in the node's heading (sections) or text (leaves), rarest first. */
  readonly matchedTerms: readonly string[];
  /** The best-scoring leaf below the node, and its own score. */
  readonly bestLeaf: { readonly nodeId: string; readonly score: number } | null;
}

/**
 * BM25 over the document's own leaves, with document frequencies from that document alone, so a
 * walk depends on nothing but the document version and the question (and can be cached by them).
 * Sections score by their heading and their two best leaves.
 */
export class LexicalScorer {
  private readonly leafScores = new Map<string, number>();
  private readonly evidence = new Map<string, NodeEvidence>();

  constructor(
    private readonly tree: DocumentTree,
    private readonly queryTerms: readonly string[],
  ) {
    for (const leaf of tree.leaves) this.leafScores.set(leaf.id, this.bm25(leaf));
    this.collect(tree.root, 0);
  }

  /** The node's score and the evidence behind it. */
  of(node: TreeNode): NodeEvidence {
    return this.evidence.get(node.id) ?? { score: 0, matchedTerms: [], bestLeaf: null };
  }

  /** A leaf's final score: its own text, plus the best heading on its way down. */
  leafScore(leaf: TreeNode): number {
    return this.of(leaf).score;
  }

  private idf(term: string): number {
    const n = this.tree.leaves.length;
    const df = this.tree.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private bm25(leaf: TreeNode): number {
    let score = 0;
    const norm = K1 * (1 - B + (B * leaf.length) / this.tree.averageLeafLength);
    for (const term of this.queryTerms) {
      const tf = leaf.terms.get(term) ?? 0;
      if (tf > 0) score += (this.idf(term) * tf * (K1 + 1)) / (tf + norm);
    }
    return score;
  }

  private headingScore(node: TreeNode): number {
    let score = 0;
    for (const term of this.queryTerms) if (node.terms.has(term)) score += this.idf(term);
    return score;
  }

  private matched(node: TreeNode): string[] {
    return this.queryTerms.filter((term) => node.terms.has(term)).sort((a, b) => this.idf(b) - this.idf(a));
  }

  /** Scores every node bottom-up; returns the two best leaf scores below `node`. */
  private collect(node: TreeNode, pathHeading: number): [number, number, string | null] {
    if (isLeaf(node)) {
      const own = this.leafScores.get(node.id) ?? 0;
      const score = own > 0 ? own + PATH_WEIGHT * pathHeading : 0;
      this.evidence.set(node.id, { score, matchedTerms: this.matched(node), bestLeaf: { nodeId: node.id, score: own } });
      return [own, 0, node.id];
    }
    const heading = this.headingScore(node);
    const below = Math.max(pathHeading, heading);
    let best = 0;
    let second = 0;
    let bestId: string | null = null;
    for (const child of node.children) {
      const [childBest, childSecond, childBestId] = this.collect(child, below);
      for (const value of [childBest, childSecond]) {
        if (value > best) {
          second = best;
          best = value;
          if (value === childBest) bestId = childBestId;
        } else if (value > second) {
          second = value;
        }
      }
    }
    const score = best + SECOND_LEAF_WEIGHT * second + HEADING_WEIGHT * heading;
    this.evidence.set(node.id, { score, matchedTerms: this.matched(node), bestLeaf: bestId ? { nodeId: bestId, score: best } : null });
    return [best, second, bestId];
  }
}
