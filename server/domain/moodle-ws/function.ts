import type { z } from 'zod';
import type { Capability } from '../capabilities';
import type { Actor, Services } from '../context';
import { invalid, zodProblems, type Problem } from '../errors';

/** What a Moodle web service answers: Moodle's external values, structures and lists. */
export type MoodleValue = string | number | boolean | null | readonly MoodleValue[] | { readonly [key: string]: MoodleValue };

/**
 * One function of mod_pdcertificate's web services, declared as Moodle declares them (db/services.php and
 * the `*_parameters` descriptions of externallib.php): its name, its parameters (validated before it runs,
 * every problem listed) and what it needs of the caller, which the module declared and never checked.
 */
export interface MoodleFunctionDeclaration<P> {
  name: string;
  description: string;
  /** The Attest capabilities that open it, for the README: any one of them. */
  capabilities: readonly Capability[];
  parameters: z.ZodType<P, Record<string, unknown>>;
  run: (services: Services, actor: Actor, params: P) => Promise<MoodleValue>;
}

export interface MoodleFunction {
  name: string;
  description: string;
  capabilities: readonly Capability[];
  /** Validates the parameters as sent (with the problems already found reading them), then runs. */
  invoke(services: Services, actor: Actor, input: Record<string, unknown>, readProblems?: readonly Problem[]): Promise<MoodleValue>;
}

export function moodleFunction<P>(declaration: MoodleFunctionDeclaration<P>): MoodleFunction {
  const { name, description, capabilities, parameters, run } = declaration;
  return {
    name,
    description,
    capabilities,
    async invoke(services, actor, input, readProblems = []) {
      const parsed = parameters.safeParse(input);
      const problems = [...readProblems, ...(parsed.success ? [] : zodProblems(parsed.error, '', input))];
      if (problems.length || !parsed.success)
        throw invalid(
          'MOODLE_PARAMETERS_INVALID',
          `Invalid parameter value detected: ${problems.length} problem${problems.length > 1 ? 's' : ''}.`,
          problems,
        );
      return run(services, actor, parsed.data);
    },
  };
}
