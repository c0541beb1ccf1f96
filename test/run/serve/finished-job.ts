import { get, type Served } from "./support.js";

/** A job as GET /jobs/{id} shows it (src/serve/jobs.ts). */
export interface Job {
  id: string;
  kind: string;
  status: string;
  created_by: string;
  progress: { phase: string | null; fraction: number | null };
  result: { runs: { run_id: number; as_of: string; schemes: { scheme: string; graded: number }[] }[] } | null;
  error: { code: string; message: string } | null;
}

/** Poll GET /jobs/{id} until the job has finished: at most 4,000 polls, 25 ms apart (bounded by count). */
export async function finished(s: Served, id: string): Promise<Job> {
  for (let poll = 0; poll < 4000; poll++) {
    const r = await get(s.app, `/jobs/${id}`, s.keys.viewer);
    const job = r.body as Job;
    if (job.status === "succeeded" || job.status === "failed") return job;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`job ${id} did not finish within 4,000 polls`);
}
