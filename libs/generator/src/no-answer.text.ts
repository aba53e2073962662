/** What every generator says when the retrieved documents do not answer the question. */
export const NO_ANSWER_TEXT = 'The available documents do not answer this question.';
