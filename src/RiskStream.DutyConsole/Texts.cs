using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace RiskStream.DutyConsole;

/// <summary>
/// The console's own words in the reader's language: English (the keys) or Chinese (zh-CN). Chosen by the
/// <c>riskstream.lang</c> cookie (set by the switch in the header), else by the browser's Accept-Language. The
/// scenarios' titles and actions come from the scenario files' translations, not from here.
/// </summary>
internal sealed class Texts
{
    public const string Cookie = "riskstream.lang";

    public static readonly Texts English = new("en");

    public static readonly Texts Chinese = new("zh-CN");

    private Texts(string language) => Language = language;

    /// <summary><c>en</c> or <c>zh-CN</c>.</summary>
    public string Language { get; }

    public bool IsChinese => Language == "zh-CN";

    /// <summary>A phrase of the console in this language (the English key when this is English).</summary>
    public string this[string english] => IsChinese && Zh.TryGetValue(english, out var zh) ? zh : english;

    /// <summary>A phrase with its arguments (<c>{0}</c> …) filled in.</summary>
    public string Format(string english, params object[] args) => string.Format(CultureInfo.InvariantCulture, this[english], args);

    /// <summary>A wire value (level, status, role, disposition, answer) in this language; English: its wire name with spaces.</summary>
    public string Word(string wire) => IsChinese && Words.TryGetValue(wire, out var zh) ? zh : wire.Replace('_', ' ');

    public static Texts Of(HttpContext ctx)
    {
        if (ctx.Request.Cookies.TryGetValue(Cookie, out var chosen) && For(chosen) is { } texts)
        {
            return texts;
        }

        var accepted = ctx.Request.GetTypedHeaders().AcceptLanguage;
        foreach (var language in accepted.OrderByDescending(l => l.Quality ?? 1))
        {
            var tag = language.Value.Value ?? "";
            if (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
            {
                return Chinese;
            }

            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
            {
                return English;
            }
        }

        return English;
    }

    /// <summary>The texts of a language code the switch sends; null for any other.</summary>
    public static Texts? For(string? code) => code switch
    {
        "en" => English,
        "zh-CN" => Chinese,
        _ => null,
    };

    /// <summary>Every phrase of the console, in Chinese (a test checks every phrase the pages use is here).</summary>
    internal static readonly IReadOnlyDictionary<string, string> Zh = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["RiskStream duty console"] = "RiskStream 值班台",
        ["Sign in"] = "登录",
        ["Sign out"] = "退出",
        ["User"] = "用户名",
        ["Password"] = "密码",
        ["Sign in with your organisation"] = "使用本单位账号登录",
        ["Unknown user or wrong password."] = "用户名或密码错误。",
        ["Your organisation's sign-in names no party this console serves."] = "本单位统一身份认证未给出本控制台所服务的单位。",
        ["Not found"] = "未找到",
        ["No such warning"] = "没有这条预警",
        ["There is no warning by that name for your party."] = "本单位没有这条预警。",
        ["All warnings"] = "全部预警",
        ["← all warnings"] = "← 全部预警",
        ["Warnings"] = "预警",
        ["History"] = "历史",
        ["Warnings of {0}"] = "{0} 的预警",
        ["History of {0}"] = "{0} 的历史预警",
        ["Live: new warnings and every change appear here without reloading."] = "实时：新预警和每一次变化无需刷新即显示在此。",
        ["Open warnings, active first, most severe and newest first"] = "未关闭的预警：生效中的在前，级别高、时间新的在前",
        ["Level"] = "级别",
        ["Status"] = "状态",
        ["Scenario"] = "场景",
        ["Site"] = "厂区",
        ["Time"] = "时间",
        ["Your part"] = "本单位角色",
        ["Why"] = "原因",
        ["No open warnings."] = "没有未关闭的预警。",
        ["condition cleared"] = "条件已解除",
        ["Disposition"] = "处置结果",
        ["From (UTC)"] = "起（UTC）",
        ["Until (UTC)"] = "止（UTC）",
        ["Filter"] = "筛选",
        ["Download these as CSV"] = "导出为 CSV",
        ["{0} warnings"] = "共 {0} 条预警",
        ["Your {0} was sent; the warning below changes once the engine has applied it."] = "您的“{0}”已发送；引擎处理后下方预警随之更新。",
        ["{0} at {1}"] = "{1}：{0}",
        ["Status {0} · raised {1} · enterprise {2} · jurisdiction {3} · your party is {4}"] = "状态 {0} · 发布于 {1} · 企业 {2} · 属地 {3} · 本单位角色 {4}",
        ["What your party is asked to do"] = "本单位应采取的措施",
        ["Who has answered"] = "各方响应",
        ["Each party's response and deadline"] = "各方的响应状态和时限",
        ["Party"] = "单位",
        ["Role"] = "角色",
        ["Notified"] = "通知时间",
        ["Acknowledged or due"] = "确认时间或时限",
        ["due {0}"] = "时限 {0}",
        ["Evidence"] = "证据",
        ["Sensors taking part"] = "参与判断的传感器",
        ["Sensor"] = "传感器",
        ["Value"] = "读数",
        ["Alarm"] = "报警",
        ["Risk"] = "风险",
        ["Readings"] = "读数曲线",
        ["The last 30 minutes of {0} ({1}); dashed: first- and second-level alarm setpoints; the line marks the raise."] = "{0}（{1}）最近 30 分钟读数；虚线为一级、二级报警设定值；竖线为预警发布时刻。",
        ["No readings of {0} in the last 30 minutes reached the console."] = "最近 30 分钟控制台未收到 {0} 的读数。",
        ["Identified {0} ({1}, score {2}) in sample {3} at {4}"] = "样品 {3} 中识别出 {0}（{1}，得分 {2}），{4}",
        ["Raman spectrum of sample {0} ({1} nm laser); its strongest bands are marked."] = "样品 {0} 的拉曼光谱（激光 {1} nm），标出最强谱带。",
        ["The spectrum of sample {0} is not held by the console (older than what it keeps)."] = "控制台未保存样品 {0} 的光谱（早于保存范围）。",
        ["Shelved: {0} until {1} by {2} ({3}): {4}"] = "已搁置：{0}，至 {1}，由 {2}（{3}）：{4}",
        ["Where"] = "位置",
        ["Assistance"] = "协助",
        ["Requests to engaged enterprises"] = "向签约企业的协助请求",
        ["Capability"] = "能力",
        ["Request"] = "请求内容",
        ["Enterprise"] = "企业",
        ["ETA {0}"] = "预计到达 {0}",
        ["answer due {0}"] = "答复时限 {0}",
        ["{0} by {1} ({2}) at {3}"] = "{0}，由 {1}（{2}），{3}",
        [", confirmed by {0} ({1})"] = "，经 {0}（{1}）确认",
        ["Disposition due by {0}"] = "处置时限 {0}",
        ["overdue"] = "已超时",
        ["Audit trail"] = "操作记录",
        ["Who did what, when, under which role"] = "谁在何时以何种角色做了什么",
        ["By"] = "操作人",
        ["Action"] = "操作",
        ["Detail"] = "说明",
        ["Every event of this warning"] = "这条预警的全部事件",
        ["Your answer"] = "本单位响应",
        ["Acknowledge, with what you are doing"] = "确认预警，并说明正在采取的措施",
        ["Acknowledge"] = "确认",
        ["Confirm receipt"] = "确认收到",
        ["What happened"] = "实际情况",
        ["choose…"] = "请选择…",
        ["Details and actions taken"] = "详情及已采取的措施",
        ["Dispose"] = "处置",
        ["Confirm or close"] = "确认或关闭",
        ["Shelve sensor"] = "搁置传感器",
        ["For"] = "时长",
        ["Reason"] = "理由",
        ["Shelve"] = "搁置",
        ["Unshelve {0}"] = "解除搁置 {0}",
        ["Assistance requested: {0}"] = "请求协助：{0}",
        ["accept"] = "接受",
        ["decline"] = "拒绝",
        ["ETA in minutes"] = "预计到达（分钟）",
        ["Note (why, if declining)"] = "备注（如拒绝请说明理由）",
        ["Answer"] = "答复",
        ["Language"] = "语言",
        ["The park"] = "园区",
        ["The site of the warning in red, the sites of the enterprises it reaches in orange, the rest of the park in grey; the bar is 1 km."] = "预警厂区为红色，预警涉及企业的厂区为橙色，园区其他厂区为灰色；比例尺为 1 公里。",
    };

    /// <summary>The wire values, in Chinese.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Words = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["blue"] = "蓝色",
        ["yellow"] = "黄色",
        ["orange"] = "橙色",
        ["red"] = "红色",
        ["none"] = "无",
        ["first"] = "一级",
        ["second"] = "二级",
        ["raised"] = "已发布",
        ["escalated"] = "已升级",
        ["deescalated"] = "已降级",
        ["updated"] = "已更新",
        ["acknowledged"] = "已确认",
        ["resolved"] = "已解除",
        ["closed"] = "已关闭",
        ["owner"] = "责任企业",
        ["regulator"] = "监管部门",
        ["neighbour"] = "周边企业",
        ["assisting"] = "协助单位",
        ["notified"] = "已通知",
        ["received"] = "已收到",
        ["overdue"] = "已超时",
        ["confirmed_hazard"] = "确有险情",
        ["false_alarm"] = "误报",
        ["maintenance"] = "检维修",
        ["instrument_fault"] = "仪表故障",
        ["drill"] = "演练",
        ["other"] = "其他",
        ["acknowledge"] = "确认",
        ["receipt"] = "确认收到",
        ["dispose"] = "处置",
        ["shelve"] = "搁置",
        ["unshelve"] = "解除搁置",
        ["assistance"] = "协助答复",
        ["requested"] = "已请求",
        ["accepted"] = "已接受",
        ["declined"] = "已拒绝",
        ["unanswered"] = "未答复",
        ["operator"] = "值班员",
        ["viewer"] = "查看者",
    };
}
