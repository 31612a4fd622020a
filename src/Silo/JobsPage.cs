using Pipeline.Grains;
using Pipeline.Grains.Jobs;

namespace Pipeline.Silo;

/// <summary>
/// The page a person opens during a batch: the cluster's recent jobs (<see cref="IJobIndexGrain"/>) with state, tiles
/// done/total, average tiles/s since submission, ETA, retried and recomputed tiles, a finished output's inconsistency
/// with its input and a link to its consistency map, and a live thumbnail of each mosaic as its writer has it (<c>ISceneWriterGrain.GetPreview</c>). Served on the dashboard's listener behind the
/// same token (<see cref="DashboardAccess"/>); the page polls <c>/jobs/status.json</c> every second.
/// </summary>
public static class JobsPage
{
    public const string RoutePrefix = "/jobs";

    public static void MapJobsPage(this WebApplication app)
    {
        app.MapGet(RoutePrefix, () => Results.Content(Html, "text/html; charset=utf-8"));
        app.MapGet($"{RoutePrefix}/status.json", async (IGrainFactory grains) =>
        {
            var ids = await grains.GetGrain<IJobIndexGrain>(JobIndexGrain.Key).Recent();
            var statuses = await Task.WhenAll(ids.Select(id => grains.Job(id).GetStatus()));
            return Results.Json(statuses.Select(Row));
        });
        app.MapGet($"{RoutePrefix}/{{id}}/preview.png", async (string id, IGrainFactory grains) =>
        {
            var status = await grains.Job(id).GetStatus();
            var png = status.State == JobState.Unknown ? null : await grains.Writer(id).GetPreview(status.Generation);
            return png is null ? Results.NotFound() : Results.File(png, "image/png");
        });
        // The map a finished job wrote beside its output (the path is the job's own, from its writer's report).
        app.MapGet($"{RoutePrefix}/{{id}}/consistency.tif", async (string id, IGrainFactory grains) =>
        {
            var map = (await grains.Job(id).GetStatus()).Writer?.ConsistencyMap;
            return map is not null && File.Exists(map)
                ? Results.File(map, "image/tiff; application=geotiff; profile=cloud-optimized", Path.GetFileName(map))
                : Results.NotFound();
        });
    }

    static object Row(SceneJobStatus status)
    {
        var seconds = status.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? status.TilesDone / seconds : 0;
        return new
        {
            jobId = status.JobId,
            state = status.State.ToString().ToLowerInvariant(),
            tilesDone = status.TilesDone,
            tilesTotal = status.TilesTotal,
            tilesPerSecond = Math.Round(rate, 4),
            etaSeconds = status.State == JobState.Running && rate > 0 ? Math.Round((status.TilesTotal - status.TilesDone) / rate) : (double?)null,
            tileFailures = status.TileFailures,
            tilesRecomputed = status.TilesRecomputed,
            elapsedSeconds = Math.Round(seconds, 1),
            output = status.OutputPath,
            error = status.Error,
            inconsistency = status.Writer?.Consistency?.Inconsistency,
            consistencyFlags = status.Writer?.Consistency?.Flags,
            consistencyMap = status.Writer?.ConsistencyMap is not null,
        };
    }

    const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Scene jobs</title>
        <style>
          body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
          table { border-collapse: collapse; width: 100%; }
          th, td { text-align: left; padding: .4em .6em; border-bottom: 1px solid #ddd; vertical-align: middle; }
          .bar { width: 12em; height: .8em; background: #eee; border-radius: .4em; overflow: hidden; }
          .bar > div { height: 100%; background: #3a7bd5; }
          .failed, .flagged { color: #b00; } .succeeded { color: #070; } .cancelled { color: #777; }
          img { max-width: 128px; max-height: 128px; background: repeating-conic-gradient(#eee 0 25%, #fff 0 50%) 0 0 / 12px 12px; }
        </style></head>
        <body>
        <h1>Scene jobs</h1>
        <p id="summary">loading…</p>
        <table><thead><tr><th>preview</th><th>job</th><th>state</th><th>tiles</th><th></th><th>rate</th><th>ETA</th><th>retried / recomputed</th><th>elapsed</th><th>consistency</th><th>output</th></tr></thead>
        <tbody id="jobs"></tbody></table>
        <script>
        const time = s => s == null ? '–' : new Date(s * 1000).toISOString().substring(11, 19);
        const rate = r => r >= 1 ? `${r.toFixed(1)} tiles/s` : r > 0 ? `${(1 / r).toFixed(1)} s/tile` : '–';
        const text = s => String(s ?? '').replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
        async function refresh() {
          const jobs = await (await fetch('/jobs/status.json')).json();
          document.getElementById('summary').textContent =
            `${jobs.filter(j => j.state === 'running').length} running, ${jobs.length} recent`;
          const rows = document.getElementById('jobs');
          const shown = new Map([...rows.querySelectorAll('img')].map(img => [img.alt, img]));
          rows.innerHTML = jobs.map(j => `
            <tr data-job="${text(j.jobId)}" data-state="${j.state}">
              <td><img alt="preview of ${text(j.jobId)}" data-src="/jobs/${encodeURIComponent(j.jobId)}/preview.png?t=${j.state === 'running' ? Date.now() : j.tilesDone}"
                       onload="this.dataset.width = this.naturalWidth"></td>
              <td>${text(j.jobId)}</td><td class="${j.state}">${j.state}${j.error ? ': ' + text(j.error) : ''}</td>
              <td>${j.tilesDone}/${j.tilesTotal}</td>
              <td><div class="bar"><div style="width:${j.tilesTotal ? 100 * j.tilesDone / j.tilesTotal : 0}%"></div></div></td>
              <td>${rate(j.tilesPerSecond)}</td><td>${time(j.etaSeconds)}</td>
              <td>${j.tileFailures} / ${j.tilesRecomputed}</td><td>${time(j.elapsedSeconds)}</td>
              <td class="${j.consistencyFlags?.length ? 'flagged' : ''}" title="${text((j.consistencyFlags ?? []).join('; '))}">${j.inconsistency == null ? '–' : j.inconsistency.toFixed(2) + ' %'}${j.consistencyFlags?.length ? ' flagged' : ''}${j.consistencyMap ? ` <a href="/jobs/${encodeURIComponent(j.jobId)}/consistency.tif">map</a>` : ''}</td>
              <td>${text(j.output)}</td>
            </tr>`).join('');
          // A preview already on screen stays (no flicker, no refetch); a running job's swaps in when the new one loads.
          for (const img of rows.querySelectorAll('img')) {
            const previous = shown.get(img.alt);
            if (!previous) { img.src = img.dataset.src; continue; }
            if (previous.dataset.src !== img.dataset.src) { previous.dataset.src = img.dataset.src; previous.src = img.dataset.src; }
            img.replaceWith(previous);
          }
        }
        refresh();
        setInterval(refresh, 1000);
        </script>
        </body></html>
        """;
}
