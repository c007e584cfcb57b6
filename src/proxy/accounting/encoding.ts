/**
 * The encoding the gateway counts a model's text with: its exact encoding when it has one and
 * that encoding's vocabulary can be loaded here, else o200k_base as a labelled estimate (an
 * open-weight vocabulary a build left out, or a Worker without the published vocabulary assets).
 */
import { getEncoding, type Encoding, type ModelInfo } from '../../core/index.js';

export async function countingEncoding(model: ModelInfo): Promise<{ enc: Encoding; exact: boolean; name: string }> {
  const t = model.tokenizer;
  if (t && t.exact) {
    try {
      return { enc: await getEncoding(t.encoding), exact: true, name: t.encoding };
    } catch {
      /* vocabulary not available here: estimate */
    }
  }
  return { enc: await getEncoding('o200k_base'), exact: false, name: t && !t.exact ? t.method : 'o200k-approx' };
}
