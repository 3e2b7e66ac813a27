import { parse } from "yaml";
import {
  applyImageChanges,
  describeChange,
  imagesOf,
  planPromotion,
  PromotionRefused,
  UnknownName,
  type EnvImages,
  type ImageChange,
} from "../../review/promotion";

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;

const STAGING = `# Staging: promoted from dev.
policy: { requireImageDigests: true }
stacks:
  shop:
    namespace: shop-staging
    api:
      image: { repository: ghcr.io/acme/api, tag: 1.5.0, digest: ${D2} }   # promoted on Monday
      replicas: 2
    database:
      image: { repository: docker.io/library/postgres, tag: "16.5", digest: ${D1} }
    worker:
      image: { repository: ghcr.io/acme/worker, tag: 0.9.0, digest: ${D1} }
  blog:
    namespace: blog-staging
    web:
      image: { repository: ghcr.io/acme/blog, tag: 3.0.0, digest: ${D1} }
`;

const PROD = `# Prod: images pinned by digest.
policy:
  requireImageDigests: true
stacks:
  shop:
    namespace: shop
    api:
      image:
        repository: ghcr.io/acme/api
        # the version customers run
        tag: 1.4.2
        digest: ${D1}
      replicas: 3
    database:
      image:
        repository: docker.io/library/postgres
        tag: "16.4"
        digest: ${D1}
  blog:
    namespace: blog
    web:
      image: { repository: ghcr.io/acme/blog, tag: 3.0.0, digest: ${D1} }
`;

const env = (name: string, text: string, requireDigests = true): EnvImages => ({
  name,
  file: `environments/${name}.yaml`,
  images: imagesOf(parse(text)),
  requireDigests,
});
const staging = env("staging", STAGING);
const prod = env("prod", PROD);
const all = { stacks: [], components: [] };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

describe("imagesOf", () => {
  test("finds every component with an image under every stack, in file order, without a list of stacks", () => {
    expect(imagesOf(parse(STAGING)).map((e) => `${e.stack}/${e.component} ${e.image.tag}`)).toEqual([
      "shop/api 1.5.0",
      "shop/database 16.5",
      "shop/worker 0.9.0",
      "blog/web 3.0.0",
    ]);
  });
});

describe("planPromotion", () => {
  test("promotes the components both environments run whose images differ, tag and digest together", () => {
    const plan = planPromotion(staging, prod, all);
    expect(plan.changes.map(describeChange)).toEqual([
      "shop/api: 1.4.2@sha256:111111111111… → 1.5.0@sha256:222222222222…",
      "shop/database: 16.4@sha256:111111111111… → 16.5@sha256:111111111111…",
    ]);
    expect(plan.unchanged.map((e) => `${e.stack}/${e.component}`)).toEqual(["blog/web"]);
    expect(plan.notInTarget.map((e) => `${e.stack}/${e.component}`)).toEqual(["shop/worker"]);
  });

  test("--stack and --component narrow the promotion", () => {
    expect(planPromotion(staging, prod, { stacks: ["shop"], components: ["api"] }).changes.map((c) => c.component)).toEqual(["api"]);
    expect(planPromotion(staging, prod, { stacks: ["blog"], components: [] }).changes).toEqual([]);
  });

  test("unknown stacks and components are named with what exists", () => {
    const e = thrown(() => planPromotion(staging, prod, { stacks: ["shopp"], components: ["worker"] }));
    expect(e).toBeInstanceOf(UnknownName);
    expect((e as UnknownName).problems).toEqual([
      "unknown stack 'shopp': environments/staging.yaml has no stacks.shopp with images (its stacks: shop, blog)",
      "unknown stack 'shopp': environments/prod.yaml has no stacks.shopp with images (its stacks: shop, blog)",
    ]);
    const c = thrown(() => planPromotion(staging, prod, { stacks: ["shop"], components: ["worker"] }));
    expect((c as UnknownName).problems).toEqual([
      "unknown component 'worker': environments/prod.yaml pins no image for it in the selected stacks (its components: api, database)",
    ]);
  });

  test("refuses an image without a digest into an environment that pins digests", () => {
    const dev = env("dev", "stacks:\n  shop:\n    api:\n      image: { repository: ghcr.io/acme/api, tag: 1.6.0-rc.1 }\n", false);
    const e = thrown(() => planPromotion(dev, prod, all));
    expect(e).toBeInstanceOf(PromotionRefused);
    expect((e as PromotionRefused).problems).toEqual([
      "environments/dev.yaml: stacks.shop.api.image: ghcr.io/acme/api:1.6.0-rc.1 has no digest, but prod pins every image by digest (policy.requireImageDigests in environments/prod.yaml); add its digest to environments/dev.yaml first",
    ]);
  });

  test("an environment that follows tags takes a tag without a digest, and drops the stale digest", () => {
    const dev = env("dev", "stacks:\n  shop:\n    api:\n      image: { repository: ghcr.io/acme/api, tag: 1.6.0-rc.1 }\n", false);
    const [change] = planPromotion(dev, env("prod", PROD, false), all).changes;
    expect(describeChange(change)).toBe("shop/api: 1.4.2@sha256:111111111111… → 1.6.0-rc.1");
  });

  test("a repository change is shown with the repositories", () => {
    const change: ImageChange = {
      stack: "shop",
      component: "api",
      before: { repository: "docker.io/acme/api", tag: "1.4.2" },
      after: { repository: "ghcr.io/acme/api", tag: "1.4.2" },
    };
    expect(describeChange(change)).toBe("shop/api: docker.io/acme/api:1.4.2 → ghcr.io/acme/api:1.4.2");
  });
});

describe("applyImageChanges", () => {
  test("changes only the image fields' characters: comments, key order, quoting and layout stay", () => {
    const changes = planPromotion(staging, prod, all).changes;
    expect(applyImageChanges(PROD, changes)).toBe(
      PROD.replace("tag: 1.4.2", "tag: 1.5.0").replace(`digest: ${D1}\n      replicas`, `digest: ${D2}\n      replicas`).replace('tag: "16.4"', 'tag: "16.5"'),
    );
  });

  test("adds a digest to a one-line image and keeps its braces' spacing", () => {
    const dev = "stacks:\n  shop:\n    api:\n      image: { repository: ghcr.io/acme/api, tag: 1.4.2 }  # follows tags\n";
    const change: ImageChange = { stack: "shop", component: "api", before: { repository: "ghcr.io/acme/api", tag: "1.4.2" }, after: { repository: "ghcr.io/acme/api", tag: "1.5.0", digest: D2 } };
    expect(applyImageChanges(dev, [change])).toBe(
      `stacks:\n  shop:\n    api:\n      image: { repository: ghcr.io/acme/api, tag: 1.5.0, digest: ${D2} }  # follows tags\n`,
    );
  });

  test("adds a digest to a block image on its own line, indented like its siblings", () => {
    const text = "stacks:\n  shop:\n    api:\n      image:\n        repository: ghcr.io/acme/api\n        tag: 1.4.2\n      replicas: 2\n";
    const change: ImageChange = { stack: "shop", component: "api", before: { repository: "ghcr.io/acme/api", tag: "1.4.2" }, after: { repository: "ghcr.io/acme/api", tag: "1.4.2", digest: D2 } };
    expect(applyImageChanges(text, [change])).toBe(
      `stacks:\n  shop:\n    api:\n      image:\n        repository: ghcr.io/acme/api\n        tag: 1.4.2\n        digest: ${D2}\n      replicas: 2\n`,
    );
  });

  test("removes a stale digest, whole line in a block image, the entry in a one-line image", () => {
    const after = { repository: "ghcr.io/acme/api", tag: "1.6.0" };
    const change = (before: ImageChange["before"]): ImageChange => ({ stack: "shop", component: "api", before, after });
    const block = `stacks:\n  shop:\n    api:\n      image:\n        repository: ghcr.io/acme/api\n        tag: 1.4.2\n        digest: ${D1}\n      replicas: 2\n`;
    expect(applyImageChanges(block, [change({ ...after, digest: D1 })])).toBe(
      "stacks:\n  shop:\n    api:\n      image:\n        repository: ghcr.io/acme/api\n        tag: 1.6.0\n      replicas: 2\n",
    );
    const flow = `stacks:\n  shop:\n    api:\n      image: { repository: ghcr.io/acme/api, tag: 1.4.2, digest: ${D1} }\n`;
    expect(applyImageChanges(flow, [change({ ...after, digest: D1 })])).toBe("stacks:\n  shop:\n    api:\n      image: { repository: ghcr.io/acme/api, tag: 1.6.0 }\n");
  });

  test("a tag YAML would read as a number is quoted", () => {
    const text = "stacks:\n  shop:\n    database:\n      image: { repository: docker.io/library/postgres, tag: 16-alpine }\n";
    const change: ImageChange = {
      stack: "shop",
      component: "database",
      before: { repository: "docker.io/library/postgres", tag: "16-alpine" },
      after: { repository: "docker.io/library/postgres", tag: "17.2" },
    };
    expect(applyImageChanges(text, [change])).toBe('stacks:\n  shop:\n    database:\n      image: { repository: docker.io/library/postgres, tag: "17.2" }\n');
  });
});
