/** Web pages of this repository's folders, for the "repo-folder" link in the Argo CD UI. */

type FolderPage = (base: string, revision: string, path: string) => string;

const KNOWN_HOSTS: Readonly<Record<string, FolderPage>> = {
  "github.com": (base, revision, path) => `${base}/tree/${revision}/${path}`,
  "gitlab.com": (base, revision, path) => `${base}/-/tree/${revision}/${path}`,
  "bitbucket.org": (base, revision, path) => `${base}/src/${revision}/${path}`,
};

/**
 * The web page of `path` at `revision`: from `template` ({revision}, {path}) when given, else derived for
 * the hosts whose URL scheme is known; undefined when neither applies (the UI then shows no link).
 */
export function folderURL(repoURL: string, revision: string, path: string, template?: string): string | undefined {
  if (template !== undefined) return template.replaceAll("{revision}", revision).replaceAll("{path}", path);
  let url: URL;
  try {
    url = new URL(repoURL);
  } catch {
    return undefined;
  }
  const page = KNOWN_HOSTS[url.hostname];
  if (!page) return undefined;
  const repository = url.pathname.replace(/\/$/, "").replace(/\.git$/, "");
  return page(`https://${url.hostname}${repository}`, revision, path);
}
