/**
 * A test-only worker that runs the package's workerd entry inside workerd: POST
 * {encoding, texts} → ids per text, so tests can compare them with tiktoken in Node.
 */
import { getEncoding, type EncodingName } from '../../../src/runtime/workerd.js';

export default {
  async fetch(req: Request): Promise<Response> {
    const t0 = Date.now();
    const { encoding, texts } = (await req.json()) as { encoding: EncodingName; texts: string[] };
    try {
      const enc = await getEncoding(encoding);
      return Response.json({
        ids: texts.map((t) => Array.from(enc.encodeOrdinary(t))),
        counts: texts.map((t) => enc.count(t)),
        decoded: texts.map((t) => enc.decode(enc.encodeOrdinary(t))),
        ms: Date.now() - t0,
      });
    } catch (err) {
      return Response.json({ error: String(err) }, { status: 400 });
    }
  },
};
