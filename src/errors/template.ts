import { InternalError } from "./internal-error.js";

/** The `{name}` placeholders of a message template, as a union of names (`never` when it has none). */
export type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/**
 * The parameters a template needs: exactly one value per placeholder, so a
 * misspelt or missing parameter is a compile error at the call site. A
 * union of templates gives the union of their parameter objects.
 */
export type TemplateParams<T extends string> = T extends string
  ? [Placeholders<T>] extends [never]
    ? Readonly<Record<string, never>>
    : { readonly [Name in Placeholders<T>]: string | number }
  : never;

/**
 * Fill every `{name}` of a template. A placeholder without a value is a bug
 * (the types rule it out; code that builds parameters at run time can still
 * get it wrong), so it throws rather than print `{name}` to the user.
 */
export function fillTemplate(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new InternalError(`the message "${template}" got no value for {${name}}`);
    return String(value);
  });
}
