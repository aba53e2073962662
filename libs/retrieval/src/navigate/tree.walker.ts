import { compareNodeIds, type BudgetName, type ChildScorer, type Embedder, type KeptChild, type NavigationDecision, type SectionChooser, type SectionOption } from '@rag/core';
import type { BudgetMeter } from './navigation.budget';
import { type DocumentTree, isLeaf, leavesUnder, type TreeNode } from './document.tree';
import type { LexicalScorer } from './lexical.scorer';

export interface WalkSettings {
  /** Levels to descend below the document: the article's "up to three". */
  readonly maxDepth: number;
  /** Children kept per node. */
  readonly beamWidth: number;
  /** A child is kept only when it scores at least this share of its best sibling. */
  readonly keepRatio: number;
  /** Children shown to the model at once: the article's "about 20 parts". */
  readonly maxOptions: number;
  /** Tokens the model may answer with when picking parts. */
  readonly choiceTokens: number;
  /** Weight of embedding similarity against the lexical score, when a real embedder is configured. */
  readonly embeddingWeight: number;
}

export const DEFAULT_WALK: WalkSettings = { maxDepth: 3, beamWidth: 3, keepRatio: 0.5, maxOptions: 20, choiceTokens: 24, embeddingWeight: 0.3 };

/** A finished walk over one document: what it decided, where it ended, and its leaves ranked. */
export interface DocumentWalk {
  readonly documentId: string;
  readonly version: number;
  readonly decisions: readonly NavigationDecision[];
  readonly collected: readonly string[];
  /** Leaf node ids with scores relative to the best leaf (0..1], best first. */
  readonly leaves: readonly { readonly nodeId: string; readonly score: number }[];
  /** Set when a budget stopped this walk; such a walk is not cached. */
  readonly stoppedBy: BudgetName | null;
}

export interface WalkTools {
  readonly question: string;
  readonly scorer: LexicalScorer;
  readonly meter: BudgetMeter;
  readonly chooser: SectionChooser | null;
  /** Embeds section headings and the question, when a real embedder is configured. */
  readonly embedder: Embedder | null;
  readonly settings: WalkSettings;
}

interface Scoring {
  readonly scorer: ChildScorer;
  /** Best first. */
  readonly scored: ScoredChild[];
  readonly note?: string;
}

interface ScoredChild {
  readonly node: TreeNode;
  readonly lexical: number;
  readonly score: number;
  readonly reason: string;
}

/**
 * Walks one document's tree level by level: scores the children of each open node (by the model
 * when one is configured and the budget allows, else lexically), keeps the best few, descends, and
 * ranks the leaves under where it stopped. A section with a single section child is passed through
 * without spending a level. When a budget runs out the walk stops where it is.
 */
export async function walkDocument(tree: DocumentTree, tools: WalkTools): Promise<DocumentWalk> {
  const decisions: NavigationDecision[] = [];
  const collected: TreeNode[] = [];
  let frontier: TreeNode[] = [passThrough(tree.root)];
  for (let level = 1; level <= tools.settings.maxDepth && frontier.length > 0; level++) {
    const next: TreeNode[] = [];
    for (const node of frontier) {
      if (!hasSections(node)) {
        collected.push(node);
        continue;
      }
      if (tools.meter.check(usesModel(tools))) {
        collected.push(node);
        continue;
      }
      const step = await chooseChildren(tree, node, level, tools);
      decisions.push(step.decision);
      if (step.kept.length === 0) collected.push(node);
      next.push(...step.kept.map(passThrough));
    }
    frontier = next;
  }
  collected.push(...frontier);
  return { documentId: tree.documentId, version: tree.version, decisions, collected: collected.map((n) => n.id), leaves: rankLeaves(collected, tools.scorer), stoppedBy: tools.meter.stoppedBy };
}

function usesModel(tools: WalkTools): boolean {
  return tools.chooser !== null && tools.meter.modelEnabled;
}

function hasSections(node: TreeNode): boolean {
  return node.children.some((child) => !isLeaf(child));
}

/** A section whose only child is a section says nothing to choose: go straight to the child. */
function passThrough(node: TreeNode): TreeNode {
  let current = node;
  while (current.children.length === 1 && !isLeaf(current.children[0] as TreeNode)) current = current.children[0] as TreeNode;
  return current;
}

async function chooseChildren(tree: DocumentTree, node: TreeNode, level: number, tools: WalkTools): Promise<{ kept: TreeNode[]; decision: NavigationDecision }> {
  const { scorer, scored, note: scoringNote } = await scoreChildren(node, tools);
  const base = { documentId: tree.documentId, version: tree.version, level, nodeId: node.id, heading: node.heading, scorer, candidates: node.children.length };
  const best = scored[0]?.score ?? 0;
  if (best <= 0) {
    const note = 'No part below matches the question\u2019s terms; the walk stops here and ranks this section\u2019s paragraphs.';
    return { kept: [], decision: { ...base, kept: [], dropped: scored.length, note: scoringNote ? `${scoringNote} ${note}` : note } };
  }
  const kept = scored.filter((child) => child.score >= best * tools.settings.keepRatio).slice(0, tools.settings.beamWidth);
  const keptChildren: KeptChild[] = kept.map((child) => ({ nodeId: child.node.id, heading: child.node.heading, score: round(child.score / best), reason: child.reason }));
  return { kept: kept.map((child) => child.node), decision: { ...base, kept: keptChildren, dropped: scored.length - kept.length, ...(scoringNote ? { note: scoringNote } : {}) } };
}

/** The children, best first, scored by the model when it may be asked, otherwise lexically. */
async function scoreChildren(node: TreeNode, tools: WalkTools): Promise<Scoring> {
  const lexical = await lexicalScores(node, tools);
  if (!usesModel(tools)) return lexical;
  return modelScores(lexical.scored, tools);
}

async function lexicalScores(node: TreeNode, tools: WalkTools): Promise<Scoring> {
  const similarities = await embeddingSimilarities(node, tools);
  const scored = node.children.map((child, i): ScoredChild => {
    const evidence = tools.scorer.of(child);
    const similarity = similarities?.[i] ?? 0;
    const score = similarities ? evidence.score * (1 - tools.settings.embeddingWeight) + similarity * tools.settings.embeddingWeight * maxScore(node, tools) : evidence.score;
    return { node: child, lexical: evidence.score, score, reason: lexicalReason(child, evidence, similarities ? similarity : null) };
  });
  return { scorer: similarities ? 'lexical+embedding' : 'lexical', scored: scored.sort((a, b) => b.score - a.score) };
}

function maxScore(node: TreeNode, tools: WalkTools): number {
  return Math.max(0, ...node.children.map((child) => tools.scorer.of(child).score));
}

function lexicalReason(child: TreeNode, evidence: ReturnType<LexicalScorer['of']>, similarity: number | null): string {
  const parts: string[] = [];
  const terms = evidence.matchedTerms.slice(0, 4);
  if (terms.length > 0) parts.push(`${isLeaf(child) ? 'text' : 'heading'} has ${terms.join(', ')}`);
  if (!isLeaf(child) && evidence.bestLeaf && evidence.bestLeaf.score > 0) parts.push(`best paragraph ${evidence.bestLeaf.nodeId} scores ${round(evidence.bestLeaf.score)}`);
  if (similarity !== null) parts.push(`embedding similarity ${round(similarity)}`);
  return parts.length > 0 ? parts.join('; ') : 'no question term found';
}

/** Cosine similarity of the question with each section child's heading; null without a real embedder. */
async function embeddingSimilarities(node: TreeNode, tools: WalkTools): Promise<number[] | null> {
  if (!tools.embedder || node.children.every(isLeaf)) return null;
  try {
    const labels = node.children.map((child) => (isLeaf(child) ? child.heading : child.heading || child.id));
    const [question, ...vectors] = await tools.embedder.embed([tools.question, ...labels], 'query');
    if (!question) return null;
    return vectors.map((vector, i) => (isLeaf(node.children[i] as TreeNode) ? 0 : Math.max(0, cosine(question, vector))));
  } catch {
    return null;
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Shows the model the best `maxOptions` children (by the lexical score) in document order and takes
 * its picks. A pick outranks every child it did not pick; the lexical score orders within each
 * group. An unreadable or failed answer falls back to the lexical ranking, and the step says so.
 */
async function modelScores(lexicalBest: readonly ScoredChild[], tools: WalkTools): Promise<Scoring> {
  const shown = [...lexicalBest.slice(0, tools.settings.maxOptions)].sort((a, b) => compareNodeIds(a.node.id, b.node.id));
  const options: SectionOption[] = shown.map((child, i) => ({ number: i + 1, label: child.node.heading || child.node.id }));
  const top = Math.max(...lexicalBest.map((child) => child.lexical), 0);
  let choice;
  try {
    // The model call may take no longer than what is left of the walk's time budget.
    choice = await tools.chooser!.choose(tools.question, options, tools.settings.choiceTokens, AbortSignal.timeout(Math.max(1, Math.floor(tools.meter.remainingMs()))));
  } catch (error) {
    tools.meter.spend(0, 0);
    return withNote(lexicalBest, `The model could not be asked (${error instanceof Error ? error.message : String(error)}); scored lexically.`);
  }
  if (!choice) {
    tools.meter.spend(0, 0);
    return withNote(lexicalBest, 'The model\u2019s answer named no part by number; scored lexically.');
  }
  tools.meter.spend(choice.promptTokens, choice.completionTokens);
  const picked = choice.picked.map((n) => shown[n - 1]).filter((child): child is ScoredChild => child !== undefined);
  if (picked.length === 0) return withNote(lexicalBest, 'The model picked none of the parts; scored lexically.');
  const pickedIds = new Set(picked.map((child) => child.node.id));
  const relative = (child: ScoredChild) => (top > 0 ? child.lexical / top : 0);
  const scored = lexicalBest.map((child): ScoredChild => {
    const rank = picked.findIndex((p) => p.node.id === child.node.id);
    if (!pickedIds.has(child.node.id)) return { ...child, score: 0.5 * relative(child) * 0.5 };
    return { ...child, score: 0.5 + 0.5 * relative(child), reason: `picked by the model (choice ${rank + 1} of ${picked.length}); ${child.reason}` };
  });
  return { scorer: 'model', scored: scored.sort((a, b) => b.score - a.score) };
}

function withNote(scored: readonly ScoredChild[], note: string): Scoring {
  return { scorer: 'lexical', scored: [...scored], note };
}

/** Every leaf under the collected nodes, by score relative to the best; leaves that match nothing last, in document order. */
function rankLeaves(collected: readonly TreeNode[], scorer: LexicalScorer): { nodeId: string; score: number }[] {
  const seen = new Set<string>();
  const leaves = collected.flatMap(leavesUnder).filter((leaf) => (seen.has(leaf.id) ? false : (seen.add(leaf.id), true)));
  const scored = leaves.map((leaf, order) => ({ leaf, order, score: scorer.leafScore(leaf) }));
  const best = Math.max(0, ...scored.map((s) => s.score));
  return scored
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((s) => ({ nodeId: s.leaf.id, score: best > 0 ? round(s.score / best) : 0 }));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
