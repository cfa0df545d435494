using MLOps.Build.Git;
using MLOps.Build.Tests.Infrastructure;

namespace MLOps.Build.Tests.Git;

public sealed class GitHeadTests : IDisposable
{
    private const string Commit = "89abcdef0123456789abcdef0123456789abcdef";
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void A_branch_is_read_from_its_loose_ref()
    {
        _repo.Write(".git/HEAD", "ref: refs/heads/feature/x\n");
        _repo.Write(".git/refs/heads/feature/x", Commit + "\n");

        Assert.Equal(Commit, GitHead.Commit(_repo.Root));
    }

    [Fact]
    public void A_packed_branch_is_read_from_packed_refs()
    {
        _repo.Write(".git/HEAD", "ref: refs/heads/main\n");
        _repo.Write(".git/packed-refs", "# pack-refs with: peeled fully-peeled sorted\n" + new string('1', 40) + " refs/heads/other\n" + Commit + " refs/heads/main\n");

        Assert.Equal(Commit, GitHead.Commit(_repo.Root));
    }

    [Fact]
    public void A_detached_head_is_the_commit_itself()
    {
        _repo.Write(".git/HEAD", Commit + "\n");

        Assert.Equal(Commit, GitHead.Commit(_repo.Root));
    }

    [Fact]
    public void A_worktree_follows_gitdir_and_reads_shared_refs_from_the_common_folder()
    {
        _repo.Write("main/.git/refs/heads/topic", Commit + "\n");
        _repo.Write("main/.git/worktrees/wt/HEAD", "ref: refs/heads/topic\n");
        _repo.Write("main/.git/worktrees/wt/commondir", "../..\n");
        _repo.Write("wt/.git", "gitdir: ../main/.git/worktrees/wt\n");

        Assert.Equal(Commit, GitHead.Commit(Path.Combine(_repo.Root, "wt")));
    }

    [Fact]
    public void No_commit_yet_or_no_repository_is_null()
    {
        _repo.Write(".git/HEAD", "ref: refs/heads/main\n");

        Assert.Null(GitHead.Commit(_repo.Root));
        Assert.Null(GitHead.Commit(Path.Combine(_repo.Root, "not-a-repository")));
    }
}
