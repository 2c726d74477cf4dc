using FsCheck;
using FsCheck.Fluent;
using MesErpStreams.Reconciliation.Internal;

namespace MesErpStreams.Reconciliation.UnitTests;

public sealed class ReconcilerPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(200);

    [Fact]
    public void Removing_any_ledger_documents_reports_exactly_those_as_missing()
    {
        var cases = from n in Gen.Choose(1, 30)
                    from removed in Gen.ListOf(Gen.Choose(0, n - 1), n)
                    from quantities in Gen.ArrayOf(Gen.Choose(1, 100_000), n)
                    select (n, removed: removed.Distinct().ToArray(), quantities);
        Check.One(Config, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var s = new Scenario();
            var commands = new List<Contracts.Erp.ErpPostingCommand>();
            for (var i = 0; i < c.n; i++)
            {
                var qty = c.quantities[i] / 1000m;
                var e = (i % 3) switch
                {
                    0 => s.Confirmation("1000", $"41{i % 4}", qty),
                    1 => s.Consumption("2000", $"42{i % 4}", "RM-1", qty),
                    _ => s.Hold("1000", $"41{i % 4}", "FG-1", $"B{i}", placed: true, qty),
                };
                commands.Add(s.Posted(e));
            }

            var lostKeys = c.removed.Select(i => commands[i].IdempotencyKey).ToHashSet();
            s.Ledger.RemoveAll(d => lostKeys.Contains(d.IdempotencyKey));
            var r = s.Reconcile();

            return r.Gaps.All(g => g is { Kind: GapKind.Missing, Stage: GapStages.NotInLedger })
                   && r.Gaps.Select(g => g.IdempotencyKey!).ToHashSet().SetEquals(lostKeys)
                   && r.Gaps.Count == lostKeys.Count
                   && r.PostingsInLedger == c.n - lostKeys.Count
                   && r.Rows.Sum(x => x.MesQuantity - x.ErpQuantity) == c.removed.Sum(i => c.quantities[i] / 1000m);
        }));
    }
}
