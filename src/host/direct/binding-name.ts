import { bindingNameProblem, MAX_BINDING_NAME_LENGTH, type BindingNameProblem } from '../../protocol/index.js';
import { WebViewError } from '../errors.js';

const WHY: Record<BindingNameProblem, string> = {
  'not-an-identifier': `is not a plain identifier (ASCII letters, digits, _ and $, not starting with a digit, at most ${MAX_BINDING_NAME_LENGTH} characters)`,
  'reserved-word': 'is a JavaScript reserved word, which a page cannot call by name',
  'shadows-window': "would replace a property every page's window has (assigning location navigates away, __proto__ breaks the bridge, fetch or setTimeout break the page)",
};

/**
 * Checks the name of a bound callback (`window[name]` in every page with the bridge).
 * @throws {WebViewError} `INVALID_NAME`
 */
export function checkBindingName(name: unknown): asserts name is string {
  const problem = bindingNameProblem(name);
  if (problem !== undefined) throw new WebViewError('INVALID_NAME', `cannot bind a callback as ${JSON.stringify(String(name)).slice(0, 80)}: it ${WHY[problem]}`);
}
