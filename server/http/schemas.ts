import { z } from 'zod';

/** every error body: a message for people, and per-field reasons when input was at fault */
export const errorBodySchema = z.object({
  message: z.string(),
  errors: z.record(z.string(), z.string()).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
