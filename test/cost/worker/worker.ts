/** Test-only worker: estimateCost / imageTokens / costFromUsage through the package's workerd entry. */
import { costFromUsage, estimateCost, imageTokens } from '../../../src/runtime/workerd.js';

export default {
  async fetch(req: Request): Promise<Response> {
    const body = (await req.json()) as { estimate: Parameters<typeof estimateCost>[0]; usage?: unknown };
    try {
      const est = await estimateCost(body.estimate);
      const usage = body.usage ? await costFromUsage(body.estimate.model, body.usage) : undefined;
      return Response.json({ est, usage, image: imageTokens({ model: 'gpt-4o', width: 1024, height: 1024, detail: 'high' }) });
    } catch (err) {
      return Response.json({ error: String(err), field: (err as { field?: string }).field }, { status: 400 });
    }
  },
};
