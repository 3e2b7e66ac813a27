import { folderURL } from "../../../argocd/index";

describe("folderURL", () => {
  test("GitHub, GitLab and Bitbucket folders are derived from the clone URL", () => {
    expect(folderURL("https://github.com/acme/slipway.git", "main", "dist/prod/web")).toBe(
      "https://github.com/acme/slipway/tree/main/dist/prod/web",
    );
    expect(folderURL("https://gitlab.com/acme/platform/slipway.git", "v1.2.0", "dist/prod/web")).toBe(
      "https://gitlab.com/acme/platform/slipway/-/tree/v1.2.0/dist/prod/web",
    );
    expect(folderURL("ssh://git@bitbucket.org/acme/slipway.git", "main", "dist/argocd")).toBe(
      "https://bitbucket.org/acme/slipway/src/main/dist/argocd",
    );
  });

  test("another host needs a template, else there is no link", () => {
    expect(folderURL("https://git.example.com/acme/slipway.git", "main", "dist/prod/web")).toBeUndefined();
    expect(
      folderURL("https://git.example.com/acme/slipway.git", "main", "dist/prod/web", "https://git.example.com/acme/slipway/src/branch/{revision}/{path}"),
    ).toBe("https://git.example.com/acme/slipway/src/branch/main/dist/prod/web");
  });
});
